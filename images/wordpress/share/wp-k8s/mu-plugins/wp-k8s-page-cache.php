<?php
/**
 * Plugin Name: Page cache (wp-k8s image)
 * Description: Stores anonymous GET pages as static files on the share, which Apache serves without PHP (apache/wp-k8s.conf), and purges them when content changes. Installed by the image's start-up wrapper (wp-entrypoint), which overwrites local edits.
 *
 * A page is stored as wp-content/cache/wp-k8s-page/HOST/PATH/index-https.html (index.html for
 * plain http), only when every rule Apache checks before serving it holds (the same rules,
 * in the same words, are in wp-k8s.conf): GET, no query string, no login, comment-author,
 * post-password or shop cookie, a path of plain segments each ending in "/" outside
 * /wp-admin/, /wp-json/, /wp-content/, /wp-includes/, and a plain host name. And only when
 * WordPress answered 200 with HTML for nobody in particular: not for a logged-in user, a
 * preview, a search, a feed, a 404, a page that sets a cookie or says no-cache, nor when
 * DONOTCACHEPAGE is defined.
 *
 * Any change to content empties the cache of the whole site (a post, page, comment, menu,
 * widget, setting, theme or plugin): one rename of the directory, so pages stop being served
 * at once; the renamed copy is deleted a few minutes later, after any request that found a
 * page in it a moment before. WP_PAGE_CACHE=off stops storing pages (and Apache stops
 * looking for them).
 */

defined('ABSPATH') || exit;

/** wpk8s_page_cache_dir is wp-content/cache, on the share on every pod. */
function wpk8s_page_cache_dir(): string
{
    return WP_CONTENT_DIR . '/cache';
}

/**
 * wpk8s_page_cache_file is where this request's page would be stored, or null when Apache
 * would never serve one for it (the rules of wp-k8s.conf).
 */
function wpk8s_page_cache_file(): ?string
{
    if (getenv('WP_PAGE_CACHE') === 'off' || ($_SERVER['REQUEST_METHOD'] ?? '') !== 'GET' || ($_SERVER['QUERY_STRING'] ?? '') !== '') {
        return null;
    }
    if (preg_match('/(wordpress_|wp-postpass_|comment_author_|woocommerce_|wp_woocommerce_session_)/i', (string) ($_SERVER['HTTP_COOKIE'] ?? ''))) {
        return null;
    }
    $path = rawurldecode((string) parse_url((string) ($_SERVER['REQUEST_URI'] ?? ''), PHP_URL_PATH));
    if (!preg_match('#^/([A-Za-z0-9_~-][A-Za-z0-9._~-]*/)*$#', $path) || preg_match('#^/(wp-admin|wp-json|wp-content|wp-includes)/#', $path)) {
        return null;
    }
    $host = (string) ($_SERVER['HTTP_HOST'] ?? '');
    if (!preg_match('/^[a-z0-9-]+(\.[a-z0-9-]+)*(:[0-9]+)?$/', $host)) {
        return null;
    }
    $name = is_ssl() ? 'index-https.html' : 'index.html';
    return wpk8s_page_cache_dir() . '/wp-k8s-page/' . $host . $path . $name;
}

/** wpk8s_page_cache_token is the last purge's token ('' before the first). */
function wpk8s_page_cache_token(): string
{
    $token = @file_get_contents(wpk8s_page_cache_dir() . '/wp-k8s-page.purged');
    return is_string($token) ? $token : '';
}

/**
 * wpk8s_page_cache_storable says whether the finished page may be served to every
 * anonymous visitor.
 */
function wpk8s_page_cache_storable(string $html): bool
{
    if (http_response_code() !== 200 || defined('DONOTCACHEPAGE') || !did_action('template_redirect')) {
        return false;
    }
    if (is_user_logged_in() || is_preview() || is_search() || is_feed() || is_404() || is_trackback() || is_robots() || post_password_required()) {
        return false;
    }
    foreach (headers_list() as $header) {
        if (preg_match('/^(set-cookie|location):/i', $header) || preg_match('/^cache-control:.*(no-cache|no-store|private)/i', $header)) {
            return false;
        }
        if (preg_match('/^content-type:/i', $header) && !preg_match('#text/html#i', $header)) {
            return false;
        }
    }
    // A page cut short by an error must not be served to everyone.
    return stripos($html, '</html>') !== false;
}

/**
 * wpk8s_page_cache_store writes the page through a private name renamed into place, unless
 * the cache was purged while the page was being made (it could show the old content).
 */
function wpk8s_page_cache_store(string $file, string $token, string $html): void
{
    if (wpk8s_page_cache_token() !== $token) {
        return;
    }
    $dir = dirname($file);
    if (!is_dir($dir) && !@mkdir($dir, 0755, true) && !is_dir($dir)) {
        error_log('wp-k8s-page-cache: cannot create ' . $dir);
        return;
    }
    $tmp = $dir . '/.tmp-' . bin2hex(random_bytes(6));
    if (@file_put_contents($tmp, $html) === false || !@rename($tmp, $file)) {
        @unlink($tmp);
        error_log('wp-k8s-page-cache: cannot write ' . $file);
    }
}

/**
 * wpk8s_page_cache_purge empties the site's page cache: a new token first (requests making a
 * page now will not store it), then the directory renamed away; renamed copies older than
 * two minutes are deleted (another pod may still be sending a page it found in one).
 */
function wpk8s_page_cache_purge(): void
{
    $cache = wpk8s_page_cache_dir();
    if (!is_dir($cache) && !@mkdir($cache, 0755, true) && !is_dir($cache)) {
        error_log('wp-k8s-page-cache: cannot create ' . $cache . ': pages are not purged');
        return;
    }
    $token = $cache . '/wp-k8s-page.purged';
    $tmp = $token . '.' . bin2hex(random_bytes(4)) . '.tmp';
    if (@file_put_contents($tmp, microtime(true) . ' ' . bin2hex(random_bytes(6)) . "\n") === false || !@rename($tmp, $token)) {
        @unlink($tmp);
        error_log('wp-k8s-page-cache: cannot write ' . $token);
    }
    $pages = $cache . '/wp-k8s-page';
    if (is_dir($pages) && !@rename($pages, $cache . '/.purged-' . time() . '-' . bin2hex(random_bytes(4)))) {
        error_log('wp-k8s-page-cache: cannot purge ' . $pages . ': stale pages are still served');
    }
    foreach (glob($cache . '/.purged-*', GLOB_ONLYDIR) ?: [] as $old) {
        if (preg_match('/\.purged-(\d+)-/', $old, $m) && (int) $m[1] < time() - 120) {
            wpk8s_page_cache_rmdir($old);
        }
    }
}

function wpk8s_page_cache_rmdir(string $dir): void
{
    foreach (scandir($dir) ?: [] as $entry) {
        if ($entry === '.' || $entry === '..') {
            continue;
        }
        $path = $dir . '/' . $entry;
        is_dir($path) && !is_link($path) ? wpk8s_page_cache_rmdir($path) : @unlink($path);
    }
    @rmdir($dir);
}

/** wpk8s_page_cache_changed schedules one purge at the end of this request. */
function wpk8s_page_cache_changed(): void
{
    static $scheduled = false;
    if (!$scheduled) {
        $scheduled = true;
        add_action('shutdown', 'wpk8s_page_cache_purge', 0);
    }
}

// Capture: the page is buffered from here, and stored when WordPress flushes its buffers at
// shutdown. Reading the purge token is the only file operation a request that may be cached
// adds before it has its page.
$wpk8s_page_cache_file = wpk8s_page_cache_file();
if ($wpk8s_page_cache_file !== null) {
    $wpk8s_page_cache_token = wpk8s_page_cache_token();
    // A theme that flushes early hands the page over in parts; a buffer cleaned away was
    // never sent and is not stored.
    $wpk8s_page_cache_parts = '';
    ob_start(static function (string $html, int $phase) use ($wpk8s_page_cache_file, $wpk8s_page_cache_token, &$wpk8s_page_cache_parts): string {
        if ($phase & PHP_OUTPUT_HANDLER_CLEAN) {
            $wpk8s_page_cache_parts = null;
            return $html;
        }
        if ($wpk8s_page_cache_parts !== null) {
            $wpk8s_page_cache_parts .= $html;
            if (($phase & PHP_OUTPUT_HANDLER_FINAL) && wpk8s_page_cache_storable($wpk8s_page_cache_parts)) {
                wpk8s_page_cache_store($wpk8s_page_cache_file, $wpk8s_page_cache_token, $wpk8s_page_cache_parts);
            }
        }
        return $html;
    });
}
unset($wpk8s_page_cache_file, $wpk8s_page_cache_token, $wpk8s_page_cache_parts);

// Purge: posts and pages (publishing, updating, unpublishing; block templates and global
// styles are posts too), comments, menus, widgets and settings, theme and plugin changes.
add_action('transition_post_status', static function (string $new, string $old, $post): void {
    if (($new === 'publish' || $old === 'publish') && !wp_is_post_revision($post)) {
        wpk8s_page_cache_changed();
    }
}, 10, 3);
add_action('deleted_post', 'wpk8s_page_cache_changed');
foreach (['comment_post', 'edit_comment', 'deleted_comment', 'wp_set_comment_status',
    'wp_update_nav_menu', 'wp_delete_nav_menu', 'switch_theme', 'customize_save_after',
    'activated_plugin', 'deactivated_plugin', 'upgrader_process_complete', 'deleted_plugin',
    'deleted_theme'] as $wpk8s_hook) {
    add_action($wpk8s_hook, 'wpk8s_page_cache_changed');
}
unset($wpk8s_hook);
// Settings saved in wp-admin; WordPress also writes options on its own on ordinary views
// (transients, cron), which change no page.
add_action('updated_option', static function (string $option): void {
    if (is_admin() && !wp_doing_ajax() && !preg_match('/^(_transient_|_site_transient_|cron$|doing_cron$|recently_edited$|auto_)/', $option)) {
        wpk8s_page_cache_changed();
    }
});
