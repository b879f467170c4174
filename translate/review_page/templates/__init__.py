"""The review page's Jinja2 templates, style sheet and script (package data, read by translate.review_page.render)."""
