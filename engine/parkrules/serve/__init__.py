"""The HTTP service and its page (`parkrules serve`), calling the same API as the command line."""
