"""One module per output format, all rendering the result model, and the words they share."""
