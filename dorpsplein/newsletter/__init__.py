"""Newsletters: editions built with the site (plugins/overviews) or from a Markdown file, sent exactly once.

`edition` is the contract between the build and `newsletter send`; `render` turns content into the
HTML e-mail, its plain-text alternative and the browser page; `send` delivers an edition to a list.
"""
