package infra

// This file owns backup.method snapshots: daily incremental snapshots of the wp-content disk,
// taken and pruned by a Logic App, kept in a resource group of their own.
//
// Why snapshots (issue 11 compared three ways to keep wp-content for the retention):
//   - Azure VM backup: a protected-instance fee of $10 a month (the NFS VM's OS and data disks
//     together pass the 50 GB bracket, and Azure always includes the OS disk) plus vault
//     storage; about $14 for prod. The OS disk needs no backup: cloud-init rebuilds it.
//   - Azure Disk Backup (a Backup vault): the same incremental snapshots, scheduled and pruned
//     by Azure, plus a protected-instance fee this project found no stored source for.
//   - Incremental snapshots of our own: only the snapshot storage, which bills the data in use
//     and the changes between snapshots (a blog's wp-content changes little), about $4 for
//     prod's 64 GB disk, priced as if the disk were full.
// A restore is the same in all three: a new disk from the chosen day's snapshot, created in
// minutes (Azure copies the data in the background while the disk is already usable), then
// either a site's directory copied back or the disk swapped in (README, "Restore wp-content").
//
// Why a Logic App: it is what the office-hours schedule already uses (schedule.go), it runs
// with its own managed identity allowed to read the one disk and to manage snapshots in the
// one group, and a day's run is a handful of executions ($0.000025 each). It deletes only the
// snapshots it tagged as its own and only after the day's snapshot succeeded, so a failing
// schedule never prunes below the retention; a snapshot taken by hand is never pruned.
//
// The snapshot group is retained when the stack is destroyed and carries no delete lock (the
// workflow must prune in it): a teardown, even an intended one, leaves the backups, and
// deleting them is a separate, deliberate `az group delete`.

import (
	"fmt"

	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	// apiSnapshots is the Microsoft.Compute disk resource provider's API version for snapshots
	// (specification/compute/.../DiskRP/stable/2023-10-02/snapshot.json).
	apiSnapshots = "2023-10-02"
	// roleDiskBackupReader lets its holder read a disk and take snapshots of it.
	roleDiskBackupReader = "3e5e47e6-65f7-47ef-90b5-e5dd4d455f24"
	// roleDiskSnapshotContributor lets its holder create, list and delete snapshots.
	roleDiskSnapshotContributor = "7efff54f-a5b4-42b5-a1c5-5411624893ce"
	// Tags the workflow puts on its snapshots: which disk, and whether the snapshot is a
	// Sunday one kept for the weekly retention. Only snapshots carrying them are pruned.
	snapshotTagOf   = "wp-backup-of"
	snapshotTagKind = "wp-backup-kind"
	geoRedundant    = "GeoRedundant"
)

// snapshotSKU maps backup.storageRedundancy to a snapshot's storage.
var snapshotSKU = map[string]string{"LocallyRedundant": "Standard_LRS", "ZoneRedundant": "Standard_ZRS"}

// newSnapshotBackup creates the snapshot group, the workflow and the workflow's two grants.
func newSnapshotBackup(ctx *pulumi.Context, cfg config.Config, nfs *NFS) (*Backup, error) {
	b := cfg.Backup
	names := cfg.Names()
	sku, ok := snapshotSKU[b.StorageRedundancy]
	if !ok {
		return nil, fmt.Errorf("snapshot backup: storage redundancy %q has no snapshot storage", b.StorageRedundancy)
	}
	group, err := resources.NewResourceGroup(ctx, "snapshot-group", &resources.ResourceGroupArgs{
		ResourceGroupName: pulumi.String(names.SnapshotResourceGroup()),
		Location:          pulumi.String(cfg.Location),
		Tags:              tags(cfg),
	}, stateful(cfg, pulumi.RetainOnDelete(true))...)
	if err != nil {
		return nil, fmt.Errorf("create snapshot group: %w", err)
	}
	definition := pulumi.All(group.ID(), nfs.DataDiskID).ApplyT(func(v []any) (map[string]any, error) {
		groupID, ok1 := v[0].(pulumi.ID)
		diskID, ok2 := v[1].(pulumi.ID)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("snapshot workflow: ids are %T and %T", v[0], v[1])
		}
		return snapshotWorkflow(cfg, string(groupID), string(diskID), sku), nil
	}).(pulumi.MapOutput)
	principal, err := newWorkflow(ctx, cfg, "backup-snapshots", names.SnapshotWorkflow(), group.Name, definition)
	if err != nil {
		return nil, fmt.Errorf("create snapshot workflow: %w", err)
	}
	if _, err := grant(ctx, "snapshot-disk-reader", principal, roleDiskBackupReader, nfs.DataDiskID.ToStringOutput()); err != nil {
		return nil, err
	}
	if _, err := grant(ctx, "snapshot-contributor", principal, roleDiskSnapshotContributor, group.ID().ToStringOutput()); err != nil {
		return nil, err
	}
	return &Backup{Locked: map[string]pulumi.IDOutput{}}, nil
}

// snapshotWorkflow is the workflow's definition: every day at backup.timeUTC an incremental
// snapshot of the disk, named after the UTC date and time; when it has succeeded, the list of
// the group's snapshots, and the deletion of this disk's tagged snapshots past their
// retention (Sunday ones after weeklyRetentionWeeks, if that is longer).
func snapshotWorkflow(cfg config.Config, groupID, diskID, sku string) map[string]any {
	b := cfg.Backup
	names := cfg.Names()
	var hour, minute int
	// backup.timeUTC is validated as HH:00 or HH:30.
	_, _ = fmt.Sscanf(b.TimeUTC, "%d:%d", &hour, &minute)
	snapshots := "https://management.azure.com" + groupID + "/providers/Microsoft.Compute/snapshots"
	api := "?api-version=" + apiSnapshots
	auth := map[string]any{"type": "ManagedServiceIdentity"}
	diskName := names.NFSDataDisk()

	snapshotTags := map[string]any{}
	for k, v := range plainTags(cfg) {
		snapshotTags[k] = v
	}
	snapshotTags[snapshotTagOf] = diskName
	snapshotTags[snapshotTagKind] = "daily"
	weeklyDays := 7 * b.WeeklyRetentionWeeks
	if b.WeeklyRetentionWeeks > 0 {
		// dayOfWeek is 0 on Sunday.
		snapshotTags[snapshotTagKind] = "@{if(equals(dayOfWeek(utcNow()), 0), 'weekly', 'daily')}"
	}
	expired := func(kind string, days int) string {
		return fmt.Sprintf("and(equals(item()?['tags']?['%s'], '%s'), equals(item()?['tags']?['%s'], '%s'), less(ticks(item()?['properties']?['timeCreated']), ticks(addDays(utcNow(), -%d))))",
			snapshotTagOf, diskName, snapshotTagKind, kind, days)
	}
	where := "@" + expired("daily", b.DailyRetentionDays)
	if b.WeeklyRetentionWeeks > 0 {
		where = fmt.Sprintf("@or(%s, %s)", expired("daily", b.DailyRetentionDays), expired("weekly", max(weeklyDays, b.DailyRetentionDays)))
	}

	return workflowDefinition(map[string]any{
		"frequency": "Day",
		"interval":  1,
		"timeZone":  "UTC",
		"schedule":  map[string]any{"hours": []any{hour}, "minutes": []any{minute}},
	}, map[string]any{
		"Snapshot": map[string]any{
			"type": "Http",
			"inputs": map[string]any{
				"method": "PUT",
				"uri":    snapshots + "/" + names.SnapshotPrefix() + "-@{utcNow('yyyyMMdd-HHmm')}" + api,
				"body": map[string]any{
					"location": cfg.Location,
					"sku":      map[string]any{"name": sku},
					"tags":     snapshotTags,
					"properties": map[string]any{
						// Incremental: each snapshot stores the changes since the last, on
						// Standard HDD snapshot storage whatever the disk's own type.
						"incremental":  true,
						"creationData": map[string]any{"createOption": "Copy", "sourceResourceId": diskID},
					},
				},
				"authentication": auth,
			},
			"runAfter": map[string]any{},
		},
		"ListSnapshots": map[string]any{
			"type":     "Http",
			"inputs":   map[string]any{"method": "GET", "uri": snapshots + api, "authentication": auth},
			"runAfter": map[string]any{"Snapshot": []any{"Succeeded"}},
		},
		"Expired": map[string]any{
			"type":     "Query",
			"inputs":   map[string]any{"from": "@body('ListSnapshots')?['value']", "where": where},
			"runAfter": map[string]any{"ListSnapshots": []any{"Succeeded"}},
		},
		"DeleteExpired": map[string]any{
			"type":    "Foreach",
			"foreach": "@body('Expired')",
			"actions": map[string]any{
				"Delete": map[string]any{
					"type": "Http",
					"inputs": map[string]any{
						"method":         "DELETE",
						"uri":            "https://management.azure.com@{items('DeleteExpired')?['id']}" + api,
						"authentication": auth,
					},
					"runAfter": map[string]any{},
				},
			},
			"runAfter": map[string]any{"Expired": []any{"Succeeded"}},
		},
	})
}
