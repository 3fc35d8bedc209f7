<?php
/**
 * Plugin Name: Code version marker (wp-k8s image)
 * Description: Tells the user pods that plugins, themes or translations changed, so they copy the new code (bin/wp-code-sync). Installed by the image's start-up wrapper (wp-entrypoint), which overwrites local edits.
 *
 * The admin pods serve wp-admin with the whole wp-content on NFS; the user pods run a copy of
 * the code from their local disk and poll one file on the share, .wp-k8s-code-version. Every
 * change to the code that wp-admin can make ends in one of the actions below, and each one
 * writes a new token into that file (once per request, at its end, after the files are in
 * place). A change made outside wp-admin (files copied in by hand) needs `wp-code-sync bump`.
 */

defined('ABSPATH') || exit;

/**
 * wpk8s_code_marker is the marker's path: on the share, which on user pods is WP_CODE_SOURCE
 * (their WP_CONTENT_DIR is the local copy).
 */
function wpk8s_code_marker(): string
{
    $share = (string) getenv('WP_CODE_SOURCE');
    return ($share !== '' ? rtrim($share, '/') : WP_CONTENT_DIR) . '/.wp-k8s-code-version';
}

/**
 * wpk8s_code_bump writes a new token through a private name renamed into place (atomic on
 * NFS: a reader sees the old token or the new one). Errors go to the log: the change itself
 * has happened and cannot be undone here.
 */
function wpk8s_code_bump(): void
{
    $marker = wpk8s_code_marker();
    $token = sprintf("%d-%s-%s\n", time(), (string) gethostname(), bin2hex(random_bytes(6)));
    $tmp = $marker . '.' . bin2hex(random_bytes(4)) . '.tmp';
    if (@file_put_contents($tmp, $token) === false || !@rename($tmp, $marker)) {
        @unlink($tmp);
        error_log('wp-k8s-code: cannot write ' . $marker . ': the user pods keep the code they have');
    }
}

/** wpk8s_code_changed schedules one bump at the end of this request. */
function wpk8s_code_changed(): void
{
    static $scheduled = false;
    if (!$scheduled) {
        $scheduled = true;
        add_action('shutdown', 'wpk8s_code_bump', 0);
    }
}

// Installs and updates of plugins, themes and translations (and core, which the image pins).
add_action('upgrader_process_complete', 'wpk8s_code_changed');
add_action('deleted_plugin', 'wpk8s_code_changed');
add_action('deleted_theme', 'wpk8s_code_changed');
// Activation does not change files, but a plugin installed and activated in one go must be
// on the user pods too; and a switch of theme may use one installed moments ago.
add_action('activated_plugin', 'wpk8s_code_changed');
add_action('switch_theme', 'wpk8s_code_changed');
