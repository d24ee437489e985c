#!/bin/sh
# Asks the database for its status at start, then serves the page and the answer.
wget -q -O /srv/db.txt "${DB_URL}/status" || echo "database unreachable" > /srv/db.txt
exec httpd -f -p 8080 -h /srv
