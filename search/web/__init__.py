"""The pages and the API: views, forms and the presenters that shape engine data for templates."""
