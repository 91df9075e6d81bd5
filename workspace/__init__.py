"""The facilitators' workspace, the top app: the desk (queues of members, comments, objections,
blocks, flags), the draft editor, Markdown import, publishing, moderation and recompute pages, the
REST endpoints only facilitators use (split, merge, move, apply a suggestion, duplicates, flags,
the changelog), the generated changelog and the disposition-of-comments report files.

It may import core, accounts, definition and deliberation; nothing imports it (only config's urls).
Its views parse, call one service of the apps below, and render.
"""
