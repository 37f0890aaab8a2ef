"""Materials on events, sessions and hub resources: files kept behind one storage interface, and links."""
