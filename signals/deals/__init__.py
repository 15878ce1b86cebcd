"""Circular deals as a graph: who pays whom, how much, and how much of it goes round.

Pure code (no I/O): the entity table (`entities`), amounts in titles (`amounts`), the
extraction rules (`extract`) and the graph measures (`graph`). The store, the reading's
`circular` line and the commands live in monitor/.
"""
