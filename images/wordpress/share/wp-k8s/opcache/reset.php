<?php
// reset.php: empties opcache after wp-code-sync swapped the code. The retired generation's
// scripts are cached under paths no request uses any more; without a reset they stay until
// opcache is full, and then new scripts are no longer cached at all. opcache_reset() waits
// for the requests in flight, so they finish on the scripts they started with. Apache lets
// only a connection from the pod itself in (wp-k8s.conf); the answer is fixed text.
header('Cache-Control: no-store');
header('Content-Type: text/plain; charset=utf-8');
$ok = function_exists('opcache_reset') && opcache_reset();
http_response_code($ok ? 200 : 503);
echo $ok ? "reset\n" : "opcache is off\n";
