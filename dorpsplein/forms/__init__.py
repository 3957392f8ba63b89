"""The forms service: newsletter sign-up with double opt-in, one-click unsubscribe, contact form.

`app.create_app` builds the Flask app; `service` wires it to the site settings for `tasks.py` and
`wsgi` for a production WSGI server. See README.md in this folder.
"""
