"""Models of networks.search (app label ``search``)."""
