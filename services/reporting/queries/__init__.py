"""Query handlers and reports over the views: validate, read, answer in the contract's shape."""
