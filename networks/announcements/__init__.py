"""networks.announcements: Announcements (a room of networks, DESIGN §2)."""
