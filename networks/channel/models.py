"""Models of networks.channel (app label ``channel``)."""
