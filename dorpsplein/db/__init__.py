"""The database of the forms service and the newsletter sender: its schema, its engine and its migrations.

`schema.py` holds the tables (the contract both sides import), `database.py` opens an engine and brings
the schema to the newest revision with Alembic (`migrations/`). The subscriber logic is in
`dorpsplein.subscribers`.
"""
