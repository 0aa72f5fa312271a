"""The domain: the data's tables and their rules, the immutable model, and the pure functions that
answer the clinical questions (which points explain this pain, what to do, when to see a doctor).
Nothing here knows about HTTP, Dash or the page; everything here can be tested without a server."""
