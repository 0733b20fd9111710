"""Load-bench helpers: a settings module and URLconf that add minimal baseline views.

Only `needlepoint bench_load` points a server at these (through DJANGO_SETTINGS_MODULE); the
clinic's own settings and URLs never include them.
"""
