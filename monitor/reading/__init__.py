"""The live reading, part by part (crash, segments, smart money, fx, deals, fundamentals)."""
