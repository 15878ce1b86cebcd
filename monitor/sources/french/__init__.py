"""Kenneth R. French's data library: the 49-industry monthly panel."""
