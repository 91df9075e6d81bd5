"""The participants' pages: overview, reader, clause, consensus dashboard, opinion groups,
dispositions, search and profile (views, urls, the selectors that shape their context, the SVG
charts). The template tags they use are in `deliberation/templatetags/` (where Django looks).
May import core, definition and the other deliberation features; never workspace.
"""
