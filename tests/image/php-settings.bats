#!/usr/bin/env bats
# The PHP settings the image ships (php/zz-wp-k8s.ini) are the ones PHP runs with under
# Apache + mod_php, even with the upstream image's own .ini files in the same directory.

load lib/common

setup_file() {
	W=$(new_workdir)
	export W
	# Stand-ins named like the upstream image's files, with its opcache values (FACTS.md:
	# revalidate_freq=2, max_accelerated_files=4000), to prove our file sorts after them.
	mkdir -p "$W/upstream"
	printf '%s\n' 'opcache.memory_consumption=128' 'opcache.interned_strings_buffer=8' \
		'opcache.max_accelerated_files=4000' 'opcache.revalidate_freq=2' >"$W/upstream/opcache-recommended.ini"
	printf '%s\n' 'display_errors = Off' 'log_errors = On' 'error_log = /dev/stderr' >"$W/upstream/error-logging.ini"
	mkdir -p "$W/html"
	cat >"$W/html/ini.php" <<-'EOF'
		<?php
		// Reports the settings named in the POSTed JSON list, as this SAPI sees them.
		header('Content-Type: application/json');
		$keys = json_decode(file_get_contents('php://input'), true);
		$status = function_exists('opcache_get_status') ? opcache_get_status(false) : false;
		echo json_encode([
		    'sapi' => PHP_SAPI,
		    'ini' => array_combine($keys, array_map('ini_get', $keys)),
		    'opcache_enabled' => is_array($status) && $status['opcache_enabled'],
		    'scanned' => array_map('trim', explode(',', (string) php_ini_scanned_files())),
		]);
	EOF
	chown -R "$WP_UID:$WP_UID" "$W/html"
	php_scan_dir "$W/apache" "$W/upstream/opcache-recommended.ini" "$W/upstream/error-logging.ini"
	apache_setup "$W/apache" "$(free_port)" "$W/html"
	apache_start "$W/apache"
}

teardown_file() {
	cleanup_workdir "${W:-}"
}

@test "every setting in php/zz-wp-k8s.ini is in force under Apache + mod_php" {
	python3 - "$IMAGE_DIR/php/zz-wp-k8s.ini" "$(apache_url "$W/apache" /ini.php)" <<-'EOF'
		import json, sys, urllib.request
		want = {}
		for line in open(sys.argv[1]):
		    line = line.strip()
		    if line and not line.startswith(";"):
		        key, sep, value = line.partition("=")
		        assert sep, "not key = value: " + line
		        want[key.strip()] = value.strip().strip('"')
		assert len(want) >= 10, want
		req = urllib.request.Request(sys.argv[2], data=json.dumps(list(want)).encode())
		got = json.load(urllib.request.urlopen(req))
		assert got["sapi"] == "apache2handler", got["sapi"]
		assert got["opcache_enabled"], "opcache is not enabled under Apache"
		assert got["scanned"][-1].endswith("/zz-wp-k8s.ini"), got["scanned"]

		def norm(v):
		    if v is False:
		        return "<unknown setting>"
		    s = str(v).lower()
		    return {"on": "1", "true": "1", "yes": "1", "off": "", "false": "", "no": "", "0": "", "none": ""}.get(s, str(v))

		bad = ["%s: file says %r, PHP runs with %r" % (k, want[k], got["ini"][k])
		       for k in want if norm(want[k]) != norm(got["ini"][k])]
		print("\n".join(bad) or "%d settings match" % len(want))
		sys.exit(1 if bad else 0)
	EOF
}

@test "the settings that matter on NFS are the intended ones" {
	# A guard against edits that would quietly bring back per-request stat() storms.
	grep -Eq '^opcache\.validate_timestamps *= *1$' "$IMAGE_DIR/php/zz-wp-k8s.ini"
	grep -Eq '^opcache\.revalidate_freq *= *[1-9][0-9]*$' "$IMAGE_DIR/php/zz-wp-k8s.ini"
	grep -Eq '^realpath_cache_ttl *= *[1-9][0-9]*$' "$IMAGE_DIR/php/zz-wp-k8s.ini"
	grep -Eq '^display_errors *= *Off$' "$IMAGE_DIR/php/zz-wp-k8s.ini"
}
