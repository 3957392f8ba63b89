"""The one error type the CLI turns into a readable message and a non-zero exit."""


class DorpspleinError(Exception):
    """A problem a staff member can fix; the message says what and where."""
