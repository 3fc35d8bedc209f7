<?php
// Liveness: answering at all proves Apache and mod_php work. It touches neither MySQL
// nor wp-content and does not load WordPress, so a database outage or a slow NFS
// volume makes the pod unready (readyz) instead of getting it restarted.
header('Cache-Control: no-store');
header('Content-Type: text/plain; charset=utf-8');
echo "ok\n";
