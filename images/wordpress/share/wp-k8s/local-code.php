<?php
// local-code.php: on user pods, WordPress's code comes from the pod's local disk. wp-config.php
// requires this file (WORDPRESS_CONFIG_EXTRA); it does nothing unless WP_CODE_DIR is set.
//
// WP_CODE_DIR/current is a symlink to the generation of the code wp-code-sync copied last. It
// is read once, here, at the start of the request, and the generation's own path becomes
// WP_CONTENT_DIR: every include of this request then comes from one generation even if a swap
// happens meanwhile (no mix of old and new files), and opcache, which caches by path, never
// serves an old generation's script for a new one's path. Uploads and the page cache are
// symlinks in each generation that lead to the share. URLs keep /wp-content/: Apache serves
// static files through the docroot's wp-content symlink to `current`.
declare(strict_types=1);

(static function (): void {
    $dir = rtrim((string) getenv('WP_CODE_DIR'), '/');
    if ($dir === '' || defined('WP_CONTENT_DIR')) {
        return;
    }
    $gen = @readlink($dir . '/current');
    if ($gen === false || $gen === '') {
        // wp-code-sync has not finished its first copy; /readyz keeps traffic away meanwhile.
        http_response_code(503);
        header('Retry-After: 5');
        header('Cache-Control: no-store');
        error_log('local-code: ' . $dir . '/current does not exist yet');
        echo "not ready\n";
        exit;
    }
    define('WP_CONTENT_DIR', $gen[0] === '/' ? $gen : $dir . '/' . $gen);
})();
