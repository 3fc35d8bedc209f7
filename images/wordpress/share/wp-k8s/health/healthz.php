<?php
// Start-up check: answering at all proves Apache and mod_php work. It touches neither
// MySQL nor wp-content and does not load WordPress. It is not the liveness probe: an
// HTTP answer needs a free prefork worker, and workers waiting on a slow NFS volume
// would then get the pod restarted; liveness is bin/wp-healthz, readiness readyz.php.
header('Cache-Control: no-store');
header('Content-Type: text/plain; charset=utf-8');
echo "ok\n";
