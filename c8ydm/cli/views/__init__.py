"""Views: the JSON document and the table columns of each result, shaped once per area.

A procedure returns a typed result (a dataclass or a model); the area's view module turns it into
a :class:`~c8ydm.cli.views.base.View`, and the command hands that to ``app.show(view)``. JSON and
jsonl print ``view.document``; table and csv print the rows of that same document (the document
itself, or the list under ``view.rows_key``) through ``view.columns``, whose keys are paths into
those rows. So the keys a script reads in JSON are the keys of the CSV header, for every command.

Views import no procedures at module level (only for typing) and nothing from Typer or Rich.
"""
