"""Alembic's environment: our metadata, and the connection `upgrade_to_head` hands over.

Run from the command line (`alembic revision --autogenerate -m "…"`, `alembic upgrade head`), it uses
DORPSPLEIN_DATABASE_URL like every other command. To upgrade a real database use `python tasks.py db upgrade`
(or just any command): it also stamps a database from before Alembic and checks foreign keys on SQLite.
"""

from alembic import context

from dorpsplein.db.database import create_database_engine, database_url
from dorpsplein.db.schema import metadata

# Batch mode: SQLite can only add columns, so other changes rebuild the table (see database.py for why
# foreign keys are switched off meanwhile); on PostgreSQL the same operations are plain ALTER statements.
OPTIONS = dict(target_metadata=metadata, render_as_batch=True, compare_type=True)


def run_online(connection) -> None:
    context.configure(connection=connection, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=database_url(), literal_binds=True, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()
elif (connection := context.config.attributes.get("connection")) is not None:
    run_online(connection)
else:
    with create_database_engine().connect() as connection:
        run_online(connection)
        connection.commit()
