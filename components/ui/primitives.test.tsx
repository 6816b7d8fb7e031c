import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { Badge } from "./badge";
import { Button } from "./button";
import { ConfirmProvider, useConfirm } from "./confirm";
import { Dialog, DialogContent, DialogTrigger } from "./dialog";
import { Field, Input, Select } from "./field";
import { PageHeader } from "./page-header";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "./tabs";
import { Toaster, toast } from "./toast";

describe("Button", () => {
  it("renders each variant with its own classes, type=button by default", () => {
    render(
      <>
        <Button>Save</Button>
        <Button variant="danger">Delete</Button>
        <Button variant="secondary" size="sm">Cancel</Button>
        <Button variant="ghost" type="submit">Go</Button>
      </>,
    );
    const save = screen.getByRole("button", { name: "Save" });
    expect(save.getAttribute("type")).toBe("button");
    expect(save.className).toContain("bg-primary");
    expect(screen.getByRole("button", { name: "Delete" }).className).toContain("bg-danger-solid");
    expect(screen.getByRole("button", { name: "Cancel" }).className).toMatch(/border-input.*h-8|h-8.*border-input/);
    expect(screen.getByRole("button", { name: "Go" }).getAttribute("type")).toBe("submit");
  });

  it("asChild puts the styles on the child element (a link stays a link)", () => {
    render(
      <Button asChild variant="secondary">
        <a href="/usage">Usage</a>
      </Button>,
    );
    const link = screen.getByRole("link", { name: "Usage" });
    expect(link.getAttribute("href")).toBe("/usage");
    expect(link.className).toContain("border-input");
    expect(screen.queryByRole("button")).toBeNull();
  });

  it("a caller's class overrides the variant's class of the same kind", () => {
    render(<Button className="px-8">Wide</Button>);
    const cls = screen.getByRole("button", { name: "Wide" }).className.split(" ");
    expect(cls).toContain("px-8");
    expect(cls).not.toContain("px-3");
  });
});

describe("Dialog", () => {
  it("opens from its trigger, moves focus inside, closes on Escape and gives focus back", async () => {
    const user = userEvent.setup();
    render(
      <Dialog>
        <DialogTrigger asChild>
          <Button>Edit</Button>
        </DialogTrigger>
        <DialogContent title="Edit agent">
          <Field label="Name">
            <Input defaultValue="Support bot" />
          </Field>
        </DialogContent>
      </Dialog>,
    );
    const trigger = screen.getByRole("button", { name: "Edit" });
    await user.click(trigger);
    const dialog = screen.getByRole("dialog", { name: "Edit agent" });
    expect(dialog.contains(document.activeElement)).toBe(true);
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(document.activeElement).toBe(trigger);
  });

  it("closes on Escape while a toast that appeared after it opened is on screen", async () => {
    const user = userEvent.setup();
    render(
      <>
        <Dialog defaultOpen>
          <DialogContent title="Invite a user">
            <Button onClick={() => toast.success("Invitation created")}>Create</Button>
          </DialogContent>
        </Dialog>
        <Toaster />
      </>,
    );
    await user.click(screen.getByRole("button", { name: "Create" }));
    await screen.findByText("Invitation created", { selector: "[data-testid=toast-success] *" });
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });
});

function ConfirmHarness({ onResult }: { onResult: (ok: boolean) => void }) {
  const confirm = useConfirm();
  return <Button onClick={async () => onResult(await confirm({ title: "Revoke “ci”?", description: "Sources using it are refused.", confirmLabel: "Revoke key" }))}>Revoke</Button>;
}

describe("useConfirm", () => {
  const setup = () => {
    const results: boolean[] = [];
    render(
      <ConfirmProvider>
        <ConfirmHarness onResult={(ok) => results.push(ok)} />
      </ConfirmProvider>,
    );
    return { results, user: userEvent.setup(), trigger: screen.getByRole("button", { name: "Revoke" }) };
  };

  it("resolves true when confirmed", async () => {
    const { results, user, trigger } = setup();
    await user.click(trigger);
    const dialog = screen.getByRole("alertdialog", { name: "Revoke “ci”?" });
    expect(dialog.textContent).toContain("Sources using it are refused.");
    await user.click(screen.getByRole("button", { name: "Revoke key" }));
    await waitFor(() => expect(results).toEqual([true]));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
  });

  it("resolves false on Cancel, starts on Cancel, and on Escape returns focus to the opener", async () => {
    const { results, user, trigger } = setup();
    await user.click(trigger);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole("button", { name: "Cancel" })));
    await user.keyboard("{Enter}");
    await waitFor(() => expect(results).toEqual([false]));

    await user.click(trigger);
    await user.keyboard("{Escape}");
    await waitFor(() => expect(results).toEqual([false, false]));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(document.activeElement).toBe(trigger);
  });
});

describe("toast", () => {
  it("announces success and error messages in a status live region", async () => {
    render(<Toaster />);
    act(() => toast.success("Settings saved"));
    act(() => toast.error("Could not save", "name: required"));
    await waitFor(() => {
      const statuses = screen.getAllByRole("status").map((s) => s.textContent ?? "");
      expect(statuses.some((t) => t.includes("Settings saved"))).toBe(true);
      expect(statuses.some((t) => t.includes("Could not save") && t.includes("name: required"))).toBe(true);
    });
    expect(screen.getByTestId("toast-error").textContent).toContain("name: required");
  });

  it("is dismissed by its close button", async () => {
    const user = userEvent.setup();
    render(<Toaster />);
    act(() => toast.success("Key created"));
    const item = (await screen.findByText("Key created", { selector: "[data-testid=toast-success] *" })).closest("li")!;
    await user.click(item.querySelector("button[aria-label=Dismiss]")!);
    await waitFor(() => expect(screen.queryByText("Key created", { selector: "[data-testid=toast-success] *" })).toBeNull());
  });
});

describe("Field", () => {
  it("labels its control and wires hint and error through aria-describedby", () => {
    render(
      <Field label="Monthly budget" hint="In the base currency" error="Must be positive">
        <Input name="budget" />
      </Field>,
    );
    const input = screen.getByLabelText("Monthly budget");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    const described = (input.getAttribute("aria-describedby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent);
    expect(described).toEqual(["In the base currency", "Must be positive"]);
  });

  it("works with the native Select, no error means not invalid", async () => {
    function Harness() {
      const [v, setV] = useState("day");
      return (
        <Field label="Granularity">
          <Select value={v} onChange={(e) => setV(e.target.value)}>
            <option value="day">Day</option>
            <option value="month">Month</option>
          </Select>
        </Field>
      );
    }
    render(<Harness />);
    const select = screen.getByLabelText("Granularity") as HTMLSelectElement;
    expect(select.hasAttribute("aria-invalid")).toBe(false);
    await userEvent.setup().selectOptions(select, "month");
    expect(select.value).toBe("month");
  });
});

describe("Tabs", () => {
  it("switches panels with the arrow keys", async () => {
    const user = userEvent.setup();
    render(
      <Tabs defaultValue="a">
        <TabsList aria-label="Views">
          <TabsTrigger value="a">Agents</TabsTrigger>
          <TabsTrigger value="b">Departments</TabsTrigger>
        </TabsList>
        <TabsContent value="a">agents panel</TabsContent>
        <TabsContent value="b">departments panel</TabsContent>
      </Tabs>,
    );
    await user.click(screen.getByRole("tab", { name: "Agents" }));
    await user.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Departments" }).getAttribute("aria-selected")).toBe("true");
    expect(screen.getByRole("tabpanel").textContent).toBe("departments panel");
  });
});

describe("PageHeader and Badge", () => {
  it("renders the page's h1 with its actions, and a toned badge", () => {
    render(<PageHeader title="Usage" description="Spend by agent" actions={<Badge tone="warning">Draft</Badge>} />);
    expect(screen.getByRole("heading", { level: 1, name: "Usage" })).toBeTruthy();
    expect(screen.getByText("Draft").className).toContain("text-warning");
  });
});
