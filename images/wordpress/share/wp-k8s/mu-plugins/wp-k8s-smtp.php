<?php
/**
 * Plugin Name: SMTP from environment (wp-k8s image)
 * Description: Sends WordPress mail through the SMTP server named by the pod's SMTP_* environment variables. Installed by the image's start-up wrapper (wp-entrypoint), which overwrites local edits.
 *
 * Plain SMTP works with any provider (Azure Communication Services Email, Mailgun, a
 * company relay...). With SMTP_HOST unset this file does nothing and WordPress keeps
 * its default mail() behaviour.
 */

defined('ABSPATH') || exit;

if ((string) getenv('SMTP_HOST') === '') {
    return;
}

/**
 * wpk8s_smtp_password reads SMTP_PASSWORD_FILE once per request. A file rather than an
 * environment variable keeps the password out of `env` listings and process dumps.
 * Returns null when no file is configured or it cannot be read.
 */
function wpk8s_smtp_password(): ?string
{
    static $password = false;
    if ($password !== false) {
        return $password;
    }
    $password = null;
    $file = (string) getenv('SMTP_PASSWORD_FILE');
    if ($file !== '') {
        $content = @file_get_contents($file);
        if ($content === false) {
            error_log('wp-k8s-smtp: SMTP_PASSWORD_FILE cannot be read; sending without a password');
        } else {
            $password = rtrim($content, "\r\n");
        }
    }
    return $password;
}

/**
 * wpk8s_smtp_configure points PHPMailer at SMTP_HOST. It runs early (priority 1) so
 * a site's own plugins can still add DKIM or headers after it.
 *
 * @param PHPMailer\PHPMailer\PHPMailer $mailer
 */
function wpk8s_smtp_configure($mailer): void
{
    $secure = strtolower((string) getenv('SMTP_SECURE'));
    if ($secure === '') {
        $secure = 'tls';
    }
    if (!in_array($secure, ['tls', 'ssl', 'none'], true)) {
        // Never fall back to plain text on a typo.
        error_log('wp-k8s-smtp: SMTP_SECURE must be tls, ssl or none; using tls');
        $secure = 'tls';
    }
    $port = (int) getenv('SMTP_PORT');
    if ($port < 1 || $port > 65535) {
        // 587 is the submission port (STARTTLS); implicit TLS lives on 465 and never on 587.
        $port = $secure === 'ssl' ? 465 : 587;
    }

    $mailer->isSMTP();
    $mailer->Host = (string) getenv('SMTP_HOST');
    $mailer->Port = $port;
    if ($secure === 'none') {
        $mailer->SMTPSecure = '';
        // PHPMailer would otherwise upgrade to STARTTLS whenever the server offers it.
        $mailer->SMTPAutoTLS = false;
    } else {
        // "tls" is STARTTLS: PHPMailer fails the message if the server does not offer
        // it, rather than sending the password and the mail in clear text.
        $mailer->SMTPSecure = $secure;
    }
    // PHPMailer waits 300 s by default; with 8 Apache workers per pod an unreachable
    // relay would otherwise take the pod out of service.
    $mailer->Timeout = 15;
    $mailer->SMTPDebug = 0;

    $user = (string) getenv('SMTP_USER');
    if ($user !== '') {
        $mailer->SMTPAuth = true;
        $mailer->Username = $user;
        $mailer->Password = (string) wpk8s_smtp_password();
    } else {
        $mailer->SMTPAuth = false;
    }

    // Relays accept only senders they have verified, so the configured address replaces
    // whatever WordPress or a plugin chose, as header From and as envelope sender.
    $from = (string) getenv('SMTP_FROM');
    if ($from !== '') {
        $name = (string) getenv('SMTP_FROM_NAME');
        $mailer->setFrom($from, $name !== '' ? $name : $mailer->FromName, false);
        $mailer->Sender = $from;
    }
}

add_action('phpmailer_init', 'wpk8s_smtp_configure', 1);

// wp_mail() only returns false; the reason would otherwise be lost. PHPMailer's messages
// name the server and the failing step, never the password.
add_action('wp_mail_failed', static function ($error): void {
    if ($error instanceof WP_Error) {
        error_log('wp-k8s-smtp: mail not sent: ' . $error->get_error_message());
    }
});
