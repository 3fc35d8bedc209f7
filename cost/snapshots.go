package cost

// This file owns pricing backup.method snapshots: the workflow that takes a daily incremental
// snapshot of the wp-content disk bills its snapshot storage and its runs.

import (
	"fmt"

	"github.com/example/wordpress-aks/plan"
)

// SnapshotRunExecutions is how many billed executions a day's snapshot run is assumed to make:
// the trigger, the snapshot and its status polls, the list, the query, the loop and a deletion.
const SnapshotRunExecutions = 10

// DaysPerMonth is Azure's 730-hour month in days.
const DaysPerMonth = HoursPerMonth / 24

// snapshotSKUKeys maps a snapshot's storage to its price.
var snapshotSKUKeys = map[string]string{"Standard_LRS": "snapshot/lrs", "Standard_ZRS": "snapshot/zrs"}

// snapshotSource reads a snapshot workflow: the disk its Snapshot action copies and the
// snapshot storage it asks for; ok is false for any other workflow.
func snapshotSource(r plan.Resource) (disk, sku string, ok bool) {
	action, _ := value(r.Inputs, "definition", "actions", "Snapshot", "inputs").(map[string]any)
	if action == nil || str(action, "method") != "PUT" {
		return "", "", false
	}
	disk = lastSegment(str(action, "body", "properties", "creationData", "sourceResourceId"))
	return disk, str(action, "body", "sku", "name"), disk != ""
}

// snapshotLines prices a snapshot workflow. An incremental snapshot bills the data in use on
// the disk (the first one) and then the blocks changed between snapshots; the plan cannot know
// either, so the estimate assumes the whole provisioned disk is in use, which bounds a blog's
// few changed megabytes a day from above.
func (e *estimator) snapshotLines(r plan.Resource, diskName, sku string) ([]Line, error) {
	key, ok := snapshotSKUKeys[sku]
	if !ok {
		return nil, fmt.Errorf("snapshot storage %q has no price (Standard_LRS, Standard_ZRS)", sku)
	}
	disk, ok := e.disksByName[diskName]
	if !ok {
		return nil, fmt.Errorf("snapshots disk %q, which is not in the plan", diskName)
	}
	gb, ok := num(disk.Inputs, "diskSizeGB")
	if !ok {
		return nil, fmt.Errorf("snapshots disk %q, which has no diskSizeGB", diskName)
	}
	storage, err := e.line(r.Name, "snapshot storage",
		fmt.Sprintf("daily incremental snapshots of %s, %s: assumed the whole %v GB in use (billed: data in use plus the changes between snapshots)", diskName, sku, gb),
		gb, "GB-month", key)
	if err != nil {
		return nil, err
	}
	runs, err := e.line(r.Name, "executions",
		fmt.Sprintf("Logic App (Consumption): %v runs a month x %d executions assumed a run", roundTo(DaysPerMonth, 1), SnapshotRunExecutions),
		DaysPerMonth*SnapshotRunExecutions, "execution", "logic/action")
	if err != nil {
		return nil, err
	}
	return []Line{storage, runs}, nil
}
