"use client";
// Save the current view (page + query string), apply or delete saved ones, make one the landing page, copy the link.
// The URL alone reproduces a view, so "Copy link" copies the address as it is.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";
import { createView, deleteView, fetchViews, updateView, viewKeys, type SavedViewDto } from "./queries";

function SaveDialog({ path, query }: { path: string; query: string }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [shared, setShared] = useState(false);
  const [isDefault, setIsDefault] = useState(false);
  const save = useMutation({
    mutationFn: () => createView({ name, path, query, shared, isDefault }),
    meta: { success: "View saved", error: "Could not save the view" },
    onSuccess: () => {
      setOpen(false);
      setName("");
      return client.invalidateQueries({ queryKey: viewKeys.all });
    },
  });
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary" size="sm">Save view</Button>
      </DialogTrigger>
      <DialogContent title="Save this view" description="Keeps this page's filters, grouping and period under a name.">
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Field label="Name">
            <Input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus />
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} /> Share with the organization
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={isDefault} onChange={(e) => setIsDefault(e.target.checked)} /> Open it when I go to the Overview (my landing view)
          </label>
          <p className="break-all text-xs text-muted-foreground">{query ? `${path}?${query}` : path}</p>
          <div className="flex justify-end gap-2">
            <Button type="submit" disabled={save.isPending || !name.trim()}>
              {save.isPending ? "Saving…" : "Save"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function ViewRow({ view }: { view: SavedViewDto }) {
  const client = useQueryClient();
  const confirm = useConfirm();
  const done = () => client.invalidateQueries({ queryKey: viewKeys.all });
  const setDefault = useMutation({
    mutationFn: () => updateView(view.id, { isDefault: !view.isDefault }),
    meta: { success: view.isDefault ? "Landing view cleared" : "Landing view set" },
    onSuccess: done,
  });
  const remove = useMutation({ mutationFn: () => deleteView(view.id), meta: { success: "View deleted" }, onSuccess: done });
  return (
    <li className="flex flex-wrap items-center gap-2 border-t border-border py-2 first:border-t-0">
      <Link href={view.href} className="mr-auto font-medium text-accent-foreground hover:underline">
        {view.name}
      </Link>
      {view.shared && <Badge tone="info">shared</Badge>}
      {!view.mine && <span className="text-xs text-muted-foreground">by {view.owner.name}</span>}
      <Button variant="link" size="sm" onClick={() => setDefault.mutate()} aria-pressed={view.isDefault}>
        <span aria-hidden="true">{view.isDefault ? "★ " : "☆ "}</span>
        {view.isDefault ? "Landing view" : "Make landing view"}
        <span className="sr-only"> ({view.name})</span>
      </Button>
      {view.mine && (
        <Button
          variant="danger-link"
          size="sm"
          aria-label={`Delete view ${view.name}`}
          onClick={async () => {
            if (await confirm({ title: `Delete the view “${view.name}”?`, description: view.shared ? "It is shared: others lose it too." : undefined, confirmLabel: "Delete view", tone: "danger" })) remove.mutate();
          }}
        >
          Delete
        </Button>
      )}
    </li>
  );
}

function ViewsDialog({ path }: { path: string }) {
  const query = useQuery({ queryKey: viewKeys.page(path), queryFn: ({ signal }) => fetchViews(path, signal) });
  const views = query.data?.views ?? [];
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="secondary" size="sm">Saved views{query.data ? ` (${views.length})` : ""}</Button>
      </DialogTrigger>
      <DialogContent title="Saved views of this page" description="Yours and those shared with the organization.">
        {query.isError ? (
          <p role="alert" className="text-sm text-danger">{query.error.message}</p>
        ) : views.length === 0 ? (
          <p className="text-sm text-muted-foreground">{query.isPending ? "Loading…" : "No saved views yet."}</p>
        ) : (
          <ul aria-label="Saved views" className="text-sm">
            {views.map((v) => (
              <ViewRow key={v.id} view={v} />
            ))}
          </ul>
        )}
      </DialogContent>
    </Dialog>
  );
}

/** The views toolbar of a dashboard page. */
export function SavedViews() {
  const path = usePathname();
  const query = useSearchParams().toString();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      toast.success("Link copied", "Anyone in the organization who opens it sees this view.");
    } catch {
      toast.error("Could not copy the link", window.location.href);
    }
  };
  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Views">
      <ViewsDialog path={path} />
      <SaveDialog path={path} query={query} />
      <Button variant="secondary" size="sm" onClick={copy}>
        Copy link
      </Button>
    </div>
  );
}
