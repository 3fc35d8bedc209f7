<?php
// Readiness: 200 when the wp-content volume answers a lookup in time (content.php), on user
// pods the local copy of the code is the one the site wants (bin/wp-code-sync), and
// `SELECT 1` succeeds with WordPress's own database settings, 503 otherwise. A pod whose
// storage or database is slow leaves the Service instead of being restarted (liveness is
// bin/wp-healthz, which depends on neither). Answering at all needs a free Apache worker,
// so a pod whose workers are all stuck fails this probe by its timeout: also the truth.
// The body is fixed text: errors, hosts and credentials go only to the container log.
// WordPress is not loaded, so a broken plugin cannot mark every pod unready.
declare(strict_types=1);

ini_set('display_errors', '0');
header('Cache-Control: no-store');
header('Content-Type: text/plain; charset=utf-8');

$ready = false;
try {
    require __DIR__ . '/../db.php';
    require __DIR__ . '/../content.php';
    // First, and on its own clock: a stalled volume answers 503 within this timeout.
    $contentTimeout = (float) wpk8s_env('WP_CONTENT_READY_TIMEOUT', '2');
    if ($contentTimeout <= 0) {
        $contentTimeout = 2.0;
    }
    // On user pods the docroot's wp-content is the local copy of the code; the share is
    // WP_CODE_SOURCE.
    $content = (string) getenv('WP_CODE_SOURCE');
    if ($content === '') {
        $content = rtrim((string) ($_SERVER['DOCUMENT_ROOT'] ?? ''), '/') . '/wp-content';
    }
    $problem = wpk8s_content_responds($content, $contentTimeout);
    if ($problem !== null) {
        throw new RuntimeException($problem);
    }
    // A user pod whose copy of the code failed serves the code the site no longer has
    // (bin/wp-code-sync): it stays out of the Service until a copy succeeds.
    $codeDir = rtrim((string) getenv('WP_CODE_DIR'), '/');
    if ($codeDir !== '') {
        $status = @file_get_contents($codeDir . '/status');
        if (!is_string($status) || strncmp($status, 'ok ', 3) !== 0) {
            throw new RuntimeException('code: ' . ($status === false ? 'no copy yet' : trim($status)));
        }
    }
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
