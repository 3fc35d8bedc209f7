<?php
// The wp-content check of /readyz: does the shared volume answer a lookup in time?
//
// wp-content is a `hard` NFS mount: while the server is slow or restarting, any process
// touching it waits in the kernel until the server answers, and cannot be interrupted
// (on FUSE not even killed). The readiness worker must never be that process, or each
// probe would take one more of the pod's eight workers. So the lookup runs in a child
// process the worker waits for at most $timeout seconds, and only one such child exists
// per pod at a time: it inherits an flock() on a file in /tmp that lasts until it exits,
// and a probe that cannot take the lock within its timeout reports not ready instead of
// starting another one.

declare(strict_types=1);

/**
 * wpk8s_content_responds returns null when $dir is a directory and a lookup of a name
 * that cannot exist in it comes back within $timeout seconds, else the reason (fixed
 * text, no path). A missing name is never in the NFS client's cache (nor the kernel's
 * for a fresh name), so this is one round trip to the server, like WordPress's own
 * file_exists() calls.
 */
function wpk8s_content_responds(string $dir, float $timeout): ?string
{
    $deadline = microtime(true) + $timeout;
    $lock = @fopen(sys_get_temp_dir() . '/wp-k8s-readyz-content.lock', 'c');
    if ($lock === false) {
        return 'cannot open the lock file in ' . sys_get_temp_dir();
    }
    // Another probe's check may be running: wait for it as long as our own timeout.
    while (!flock($lock, LOCK_EX | LOCK_NB)) {
        if (microtime(true) >= $deadline) {
            fclose($lock);
            return 'an earlier wp-content check has not come back';
        }
        usleep(20000);
    }
    $name = '.wp-k8s-readyz-' . bin2hex(random_bytes(8));
    // The child keeps descriptor 3, and with it the lock, until it exits.
    $proc = proc_open(
        ['/bin/sh', '-c', 'test -d "$1" && ! test -e "$1/$2"', 'wp-k8s-readyz-content', $dir, $name],
        [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w'], 3 => $lock],
        $pipes
    );
    // Our copy of the descriptor goes; the child's keeps the lock (flock belongs to the
    // open file, which both share).
    fclose($lock);
    if ($proc === false) {
        return 'cannot start the wp-content check';
    }
    do {
        $status = proc_get_status($proc);
        if (!$status['running']) {
            return $status['exitcode'] === 0 ? null : 'wp-content is not a directory';
        }
        usleep(10000);
    } while (microtime(true) < $deadline);
    // A child waiting on NFS dies on SIGKILL (hard mounts wait killably), which frees the
    // lock early; one waiting on a FUSE server may not, and then holds it until storage
    // answers. Never proc_close(): it would wait for the child.
    proc_terminate($proc, 9);
    return sprintf('wp-content did not answer within %g s', $timeout);
}
