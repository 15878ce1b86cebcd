"""Bring-your-own files: a user's CSV opened with one error translation, price CSV import."""
