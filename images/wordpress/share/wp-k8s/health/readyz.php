<?php
// Readiness: 200 when `SELECT 1` succeeds with WordPress's own database settings, 503
// otherwise. The body is fixed text: errors, hosts and credentials go only to the
// container log. WordPress is not loaded, so a broken plugin cannot mark every pod unready.
declare(strict_types=1);

ini_set('display_errors', '0');
header('Cache-Control: no-store');
header('Content-Type: text/plain; charset=utf-8');

$ready = false;
try {
    require __DIR__ . '/../db.php';
    $timeout = (int) wpk8s_env('WORDPRESS_DB_READY_TIMEOUT', '2');
    if ($timeout < 1) {
        $timeout = 2;
    }
    $db = wpk8s_db_connect(
        wpk8s_env('WORDPRESS_DB_USER'),
        wpk8s_secret('WORDPRESS_DB_PASSWORD'),
        wpk8s_env('WORDPRESS_DB_NAME', 'wordpress'),
        $timeout
    );
    $result = $db->query('SELECT 1');
    $row = $result instanceof mysqli_result ? $result->fetch_row() : null;
    $ready = is_array($row) && (int) $row[0] === 1;
    if (!$ready) {
        error_log('readyz: SELECT 1 failed (error ' . $db->errno . ')');
    }
    $db->close();
} catch (Throwable $e) {
    error_log('readyz: ' . $e->getMessage());
}

http_response_code($ready ? 200 : 503);
echo $ready ? "ready\n" : "not ready\n";
