#!/bin/bash
# Builds tests/data/netcrm-0003.db with the release as of main 22e6fea (schema 0003):
# cd to a checkout of that commit, then: tests/data/make-netcrm-0003.sh tests/data/netcrm-0003.db
set -e
DB=$1
rm -f "$DB" "$DB"-wal "$DB"-shm
n() { NETCRM_TODAY=$1 python -m netcrm --db "$DB" "${@:2}"; }
# Keep-in-touch cadences typed on month ends and on 29 February.
n 2026-01-31 add "Alice Dupont" --email alice@example.fr --every 3m --met-via linkedin --tag Vélo
n 2026-02-10 log alice "coffee" --via in-person --key opportunity
n 2026-01-30 add "Bruno Petit" --every monthly --company "Lumière"
n 2026-03-29 add "Chloé Roux" --every quarterly --met-via event
n 2026-05-31 add "David Morel" --every 1m
n 2026-06-15 log david "call about the podcast" --via call
n 2024-02-29 add "Emma Leap" --every 1y --birthday 02-29
n 2025-12-31 add "Farid Benali" --every yearly
n 2026-08-31 add "Gaëlle Le Gall" --every "every 2 weeks"
n 2026-10-31 add "Hugo Blanc" --every 30d
n 2026-07-30 add "Inès Faure" --every 2m
n 2026-09-01 log ines "webinar debrief" --via video
# RFC rules stay rules; a weekday shorthand is a rule too.
n 2026-03-10 add "Jules Garnier" --every "FREQ=MONTHLY;BYDAY=1MO"
n 2026-04-02 add "Karim Haddad" --every "every monday"
n 2026-04-02 add "Léa Martin" --email lea@example.fr --every "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH"
n 2026-05-05 add "Manon Simon"
# Interactions with several people.
n 2026-10-11 log "Alice Dupont" "joint lunch" --with "Bruno Petit" --via meeting --tag Projet
n 2026-11-29 log chloe "a message" --via message
n 2026-11-30 log jules "quick email" --via email --on yesterday
# Follow-ups with recurrences.
n 2026-01-31 remind alice "Monthly newsletter swap" --on today --every monthly
n 2026-01-31 remind bruno "Quarterly review" --on today --every 3m --from-done
n 2026-11-20 remind lea@example.fr "Twice only" --on today --every "FREQ=DAILY;COUNT=2"
n 2026-11-20 remind lea@example.fr "Until the end of the year" --on today --every "FREQ=WEEKLY;UNTIL=20261231"
n 2026-11-20 remind "Plain one-off" --on 2026-12-24
n 2026-11-25 done f1
n 2026-11-25 done f4
# An idea with a step.
n 2026-11-25 idea add "Interview Alice for the blog" --kind interview --with alice
n 2026-11-25 idea step 1 "Send questions" --due 2026-12-05
n 2026-11-25 remind alice "Check the interview" --idea 1 --on 2026-12-10
