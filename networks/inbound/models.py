"""Models of networks.inbound (app label ``inbound``)."""
