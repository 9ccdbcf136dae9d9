"""Models of networks.library (app label ``library``)."""
