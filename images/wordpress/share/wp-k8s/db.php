<?php
// MySQL connection settings and connect logic shared by /readyz and wp-db-provision.
// They read the same WORDPRESS_DB_* variables as the official image's wp-config.php,
// so readiness checks exactly the server, user and TLS settings WordPress will use.

declare(strict_types=1);

/** Thrown for anything the operator must fix; the message never contains a secret. */
final class WpK8sDbError extends RuntimeException
{
}

/**
 * wpk8s_env returns an environment variable, or $default when it is unset or empty.
 */
function wpk8s_env(string $name, string $default = ''): string
{
    $value = getenv($name);
    return ($value === false || $value === '') ? $default : $value;
}

/**
 * wpk8s_secret returns NAME_FILE's content when NAME_FILE is set (it wins, as in the
 * official image), else NAME. Trailing newlines are cut, as the official image does,
 * so a password read here matches the one WordPress uses.
 */
function wpk8s_secret(string $name): string
{
    $file = wpk8s_env($name . '_FILE');
    if ($file === '') {
        return wpk8s_env($name);
    }
    $content = @file_get_contents($file);
    if ($content === false) {
        throw new WpK8sDbError("{$name}_FILE: cannot read the file it names");
    }
    return rtrim($content, "\r\n");
}

/**
 * wpk8s_db_endpoint splits WORDPRESS_DB_HOST the way WordPress does: "host",
 * "host:port", "host:/path/to/socket", "[ipv6]" or "[ipv6]:port".
 *
 * @return array{host: string, port: int, socket: ?string}
 */
function wpk8s_db_endpoint(string $value): array
{
    $value = trim($value);
    if ($value === '') {
        throw new WpK8sDbError('WORDPRESS_DB_HOST is not set');
    }
    $port = 3306;
    $socket = null;
    if (preg_match('/^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/', $value, $m)) {
        // mysqlnd builds "tcp://HOST:PORT" itself, so an IPv6 address keeps its brackets.
        $host = '[' . $m[1] . ']';
        if (isset($m[2]) && $m[2] !== '') {
            $port = (int) $m[2];
        }
    } elseif (preg_match('/^([^:\/]*):(\/.+)$/', $value, $m)) {
        $host = $m[1] === '' ? 'localhost' : $m[1];
        $socket = $m[2];
    } elseif (preg_match('/^([^:\/\[\]]+)(?::(\d+))?$/', $value, $m)) {
        $host = $m[1];
        if (isset($m[2]) && $m[2] !== '') {
            $port = (int) $m[2];
        }
    } else {
        throw new WpK8sDbError('WORDPRESS_DB_HOST is not host, host:port, host:/socket or [ipv6]:port');
    }
    if ($port < 1 || $port > 65535) {
        throw new WpK8sDbError('WORDPRESS_DB_HOST: port must be 1-65535');
    }
    return ['host' => $host, 'port' => $port, 'socket' => $socket];
}

/** wpk8s_truthy reads flags such as WORDPRESS_DB_SSL=true. */
function wpk8s_truthy(string $value): bool
{
    return in_array(strtolower(trim($value)), ['1', 'true', 'yes', 'on'], true);
}

/**
 * wpk8s_db_connect opens a mysqli connection to WORDPRESS_DB_HOST as $user.
 * With WORDPRESS_DB_SSL=true it requires TLS and verifies the server certificate
 * (chain and name) against WORDPRESS_DB_SSL_CA, default the system CA bundle, which
 * holds the public CAs Azure Database for MySQL uses.
 * $timeout bounds the TCP connect and each read, so a server that accepts and then
 * hangs cannot hold the caller longer than about twice $timeout.
 */
function wpk8s_db_connect(string $user, string $password, ?string $database, int $timeout): mysqli
{
    $endpoint = wpk8s_db_endpoint(wpk8s_env('WORDPRESS_DB_HOST'));
    $ssl = wpk8s_truthy(wpk8s_env('WORDPRESS_DB_SSL'));

    mysqli_report(MYSQLI_REPORT_OFF);
    $db = mysqli_init();
    if ($db === false) {
        throw new WpK8sDbError('mysqli_init failed');
    }
    $db->options(MYSQLI_OPT_CONNECT_TIMEOUT, $timeout);
    $db->options(MYSQLI_OPT_READ_TIMEOUT, $timeout);
    $flags = 0;
    if ($ssl) {
        $ca = wpk8s_env('WORDPRESS_DB_SSL_CA', '/etc/ssl/certs/ca-certificates.crt');
        if (!is_readable($ca)) {
            throw new WpK8sDbError('WORDPRESS_DB_SSL_CA: cannot read the CA file it names');
        }
        $db->ssl_set(null, null, $ca, null, null);
        $db->options(MYSQLI_OPT_SSL_VERIFY_SERVER_CERT, 1);
        $flags |= MYSQLI_CLIENT_SSL;
    }

    // Connection failures also raise PHP warnings that name the host; keep them out of
    // any output and report only through the exception below.
    set_error_handler(static fn (): bool => true);
    try {
        $ok = $db->real_connect(
            $endpoint['host'],
            $user,
            $password,
            $database,
            $endpoint['port'],
            $endpoint['socket'],
            $flags
        );
    } finally {
        restore_error_handler();
    }
    if (!$ok) {
        throw new WpK8sDbError(sprintf('cannot connect to MySQL (error %d: %s)', $db->connect_errno, (string) $db->connect_error));
    }
    return $db;
}
