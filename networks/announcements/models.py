"""Models of networks.announcements (app label ``announcements``)."""
