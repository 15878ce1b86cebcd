"""The Hugging Face Hub: new public models by kind (`collect models`)."""
