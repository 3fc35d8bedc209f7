#!/usr/bin/env bats
# The SMTP must-use plugin (share/wp-k8s/mu-plugins/wp-k8s-smtp.php) inside a real
# WordPress (Debian's package) on Apache + mod_php + MariaDB: WordPress's own
# lost-password mail reaches a local SMTP listener with the configured sender and
# credentials; with SMTP_HOST unset nothing goes to SMTP and WordPress's default mail()
# path is used; with STARTTLS required but not offered, nothing is sent in clear.

load lib/common

SMTP_PASSWORD='Smtp-pass-5e1c77'
DB_PASSWORD='Db-pass-mail-0b2d'

setup_file() {
	start_db_workdir
	db_site "$W/db" wp wpuser "$DB_PASSWORD"
	printf '%s\n' "$DB_PASSWORD" >"$W/db-password"
	printf '%s\n' "$SMTP_PASSWORD" >"$W/smtp-password"
	chmod 0644 "$W/db-password" "$W/smtp-password"

	wordpress_docroot "$W/html"
	# Our start-up wrapper installs the plugin, as in the pod (stub upstream entrypoint).
	mkdir -p "$W/stub"
	printf '#!/bin/sh\nexit 0\n' >"$W/stub/docker-entrypoint.sh"
	chmod 0755 "$W/stub/docker-entrypoint.sh"
	(cd "$W/html" && as_www_data env PATH="$W/stub:/usr/bin:/bin" \
		APACHE_GRACEFUL_SHUTDOWN_TIMEOUT="$(image_env APACHE_GRACEFUL_SHUTDOWN_TIMEOUT)" \
		"$IMAGE_DIR/bin/wp-entrypoint" apache2-foreground)
	[ -f "$W/html/wp-content/mu-plugins/wp-k8s-smtp.php" ]

	# WordPress's default path is PHP's mail(), i.e. sendmail_path: capture what reaches it.
	mkdir -p "$W/sendmail"
	chown "$WP_UID:$WP_UID" "$W/sendmail"
	printf '#!/bin/sh\ncat >"%s/sendmail/$$.eml"\n' "$W" >"$W/fake-sendmail"
	chmod 0755 "$W/fake-sendmail"
	echo "php_admin_value sendmail_path \"$W/fake-sendmail -t -i\"" >"$W/test-extra.conf"

	SMTP_PORT=$(free_port)
	export SMTP_PORT
	mkdir -p "$W/sink"
	python3 "$TESTS_DIR/smtp-sink.py" "$SMTP_PORT" "$W/sink" >"$W/sink.out" 2>&1 &
	echo $! >"$W/sink.bgpid"
	wait_for 20 grep -q ready "$W/sink.out"

	# The install itself sends WordPress's "New WordPress Site" mail through SMTP.
	start_site smtp SMTP_HOST=127.0.0.1 SMTP_PORT="$SMTP_PORT" SMTP_USER=mailer \
		SMTP_PASSWORD_FILE="$W/smtp-password" SMTP_FROM=noreply@example.test \
		SMTP_FROM_NAME='Example Blog' SMTP_SECURE=none
	wordpress_install "$(apache_url "$W/apache-smtp" '')"
}

teardown_file() {
	cleanup_workdir "${W:-}"
}

# start_site NAME [NAME=VALUE...]: one Apache (one pod) on the shared WordPress.
start_site() {
	local name=$1
	shift
	apache_setup "$W/apache-$name" "$(free_port)" "$W/html" "$W/test-extra.conf"
	apache_start "$W/apache-$name" WORDPRESS_DB_HOST="127.0.0.1:$DB_PORT" WORDPRESS_DB_USER=wpuser \
		WORDPRESS_DB_NAME=wp WORDPRESS_DB_PASSWORD_FILE="$W/db-password" "$@"
}

# lost_password NAME: asks WordPress on that instance to mail admin a reset link;
# prints the HTTP status and the redirect target.
lost_password() {
	curl -sS -o "$W/lost.html" -w '%{http_code} %{redirect_url}' \
		--data-urlencode 'user_login=admin' --data-urlencode 'redirect_to=' \
		--data-urlencode 'wp-submit=Get New Password' \
		"$(apache_url "$W/apache-$1" '/wp-login.php?action=lostpassword')"
}

sink_count() {
	find "$W/sink" -name '*.json' | wc -l
}

sendmail_count() {
	find "$W/sendmail" -name '*.eml' | wc -l
}

@test "WordPress's lost-password mail goes out over SMTP with the configured sender" {
	local before result msg
	before=$(sink_count)
	result=$(lost_password smtp)
	# WordPress redirects to "check your email" only when wp_mail() succeeded.
	[[ "$result" == "302 "*"checkemail=confirm"* ]]
	[ "$(sink_count)" = $((before + 1)) ]
	msg=$(find "$W/sink" -name '*.json' | sort | tail -n 1)
	python3 - "$msg" "$SMTP_PASSWORD" <<-'EOF'
		import json, sys, email
		m = json.load(open(sys.argv[1]))
		assert m["mail_from"] == "noreply@example.test", m["mail_from"]
		assert m["rcpt_to"] == ["admin@example.test"], m["rcpt_to"]
		assert m["auth"] == ["mailer", sys.argv[2]], "AUTH PLAIN credentials differ"
		msg = email.message_from_string(m["data"])
		assert msg["From"] == "Example Blog <noreply@example.test>", msg["From"]
		assert "Password Reset" in msg["Subject"], msg["Subject"]
		assert "action=rp" in msg.get_payload(), "no reset link in the body"
	EOF
	[ "$(sendmail_count)" = 0 ]
}

@test "the install notification WordPress sends went over SMTP too" {
	grep -l 'New WordPress Site' "$W"/sink/*.json
}

@test "SMTP_HOST unset: nothing goes to SMTP; WordPress falls back to its default mail()" {
	local before result
	before=$(sink_count)
	start_site nosmtp
	result=$(lost_password nosmtp)
	[[ "$result" == "302 "*"checkemail=confirm"* ]]
	[ "$(sink_count)" = "$before" ]
	[ "$(sendmail_count)" = 1 ]
	grep -q '^To: admin@example.test' "$W"/sendmail/*.eml
}

@test "SMTP_SECURE default (STARTTLS) against a server without it: no mail, error logged" {
	local before result
	before=$(sink_count)
	start_site starttls SMTP_HOST=127.0.0.1 SMTP_PORT="$SMTP_PORT" SMTP_USER=mailer \
		SMTP_PASSWORD_FILE="$W/smtp-password" SMTP_FROM=noreply@example.test
	result=$(lost_password starttls)
	# WordPress reports the failure on the form instead of redirecting.
	[[ "$result" == "200 "* ]]
	grep -q 'could not be sent' "$W/lost.html"
	[ "$(sink_count)" = "$before" ]
	grep -q 'wp-k8s-smtp: mail not sent' "$W/apache-starttls/stderr.log"
}

@test "the SMTP password appears in no log" {
	run grep -rl -- "$SMTP_PASSWORD" "$W"/apache-*/stdout.log "$W"/apache-*/stderr.log "$W/sink.out"
	[ "$status" = 1 ]
}
