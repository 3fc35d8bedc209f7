package tests

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/example/wordpress-aks/plan"
)

// TestReadmeRestoreNames keeps the README's wp-content restore runbook true to the plan: every
// Azure name its commands use is one the prod plan gives (the vault's, in a plan with
// backup.method vm), a snapshot name is the workflow's prefix and a date, and the tag the
// listing filters on is the one the workflow puts on its snapshots.
func TestReadmeRestoreNames(t *testing.T) {
	readme := readmeFile(t, "README.md")
	start := strings.Index(readme, "**Restore wp-content.**")
	end := strings.Index(readme, "**Rotate secrets.**")
	if start < 0 || end < start {
		t.Fatal("the README has no wp-content restore runbook")
	}
	runbook := readme[start:end]

	p := graphPlan(t, "prod")
	src := gStackSource(t, "prod")
	src.Values[graphProject+":backup"] = `{"enabled":true,"method":"vm","storageRedundancy":"GeoRedundant"}`
	vmPlan, err := plan.RunSource(graphProject, "prod", src)
	if err != nil {
		t.Fatalf("plan prod with VM backup: %v", err)
	}
	known := map[string]string{
		gStr(t, gFind(t, p, "resource-group"), "resourceGroupName"):     "the stack's resource group",
		gStr(t, gFind(t, p, "snapshot-group"), "resourceGroupName"):     "the snapshot group",
		gStr(t, gFind(t, p, "nfs-data-disk"), "diskName"):               "the wp-content disk",
		gStr(t, gFind(t, p, "nfs-vm"), "vmName"):                        "the NFS VM",
		gStr(t, gFind(t, vmPlan, "backup-vault"), "vaultName"):          "the backup vault",
		gStr(t, gFind(t, p, "nfs-data-disk"), "diskName") + "-restored": "the restored disk (a new name)",
	}
	uri := gStr(t, gFind(t, p, "backup-snapshots"), "definition.actions.Snapshot.inputs.uri")
	prefix := regexp.MustCompile(`/snapshots/([-\w]+)-@\{utcNow\('yyyyMMdd-HHmm'\)\}`).FindStringSubmatch(uri)
	if prefix == nil {
		t.Fatalf("the workflow's snapshot uri %q has no name prefix", uri)
	}
	snapshot := regexp.MustCompile("^" + regexp.QuoteMeta(prefix[1]) + `-\d{8}-\d{4}$`)

	names := regexp.MustCompile(`\b(?:rg|disk|vm|rsv|snap)-wp-prod[-\w]*`).FindAllString(runbook, -1)
	if len(names) < 8 {
		t.Fatalf("found only %v in the runbook", names)
	}
	for _, n := range names {
		if _, ok := known[n]; !ok && !snapshot.MatchString(n) {
			t.Errorf("the runbook names %q, which the plan does not have (it has %v and snapshots %s-yyyyMMdd-HHmm)", n, gKeys(known), prefix[1])
		}
	}
	for name, what := range known {
		if !slices.Contains(names, name) {
			t.Errorf("the runbook never names %s (%s)", what, name)
		}
	}
	if tag := `tags.\"wp-backup-of\"=='` + gStr(t, gFind(t, p, "nfs-data-disk"), "diskName") + `'`; !strings.Contains(runbook, tag) {
		t.Errorf("the runbook's snapshot listing does not filter on %s", tag)
	}
	if got := gStr(t, gFind(t, p, "backup-snapshots"), "definition.actions.Snapshot.inputs.body.tags.wp-backup-of"); got != gStr(t, gFind(t, p, "nfs-data-disk"), "diskName") {
		t.Errorf("the workflow tags its snapshots wp-backup-of=%q", got)
	}
}
