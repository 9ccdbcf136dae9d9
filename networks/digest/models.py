"""Models of networks.digest (app label ``digest``)."""
