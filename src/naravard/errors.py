"""The one exception type a user is meant to read."""


class NaravardError(Exception):
    """A problem with the user's input or environment, told in one line.

    The message names the file, field or value at fault and how to fix it; the CLI prints it
    as `fel: <message>` and exits non-zero, with no traceback.
    """
