"use client";
// Picks an agent by searching its name or key (a combobox over the agents list), never by typing a key blind.
import { useId, useState } from "react";
import { controlClass } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import type { AgentChoice } from "./queries";

const MAX_SHOWN = 20;

export function AgentPicker({ agents, label, onPick, disabled }: { agents: AgentChoice[]; label: string; onPick: (agent: AgentChoice) => void; disabled?: boolean }) {
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listId = useId();
  const needle = text.trim().toLowerCase();
  const matches = agents.filter((a) => !needle || a.name.toLowerCase().includes(needle) || a.key.toLowerCase().includes(needle)).slice(0, MAX_SHOWN);
  const pick = (a: AgentChoice) => {
    onPick(a);
    setText("");
    setOpen(false);
  };
  return (
    <div className="relative w-full max-w-sm">
      <input
        role="combobox"
        aria-label={label}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && matches[active] ? `${listId}-${active}` : undefined}
        placeholder="Search agents by name or key"
        disabled={disabled}
        className={cn(controlClass, "h-9 w-full")}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") setActive((i) => Math.min(i + 1, matches.length - 1));
          else if (e.key === "ArrowUp") setActive((i) => Math.max(i - 1, 0));
          else if (e.key === "Escape") setOpen(false);
          else if (e.key === "Enter" && open && matches[active]) {
            e.preventDefault();
            pick(matches[active]);
          } else return;
          e.preventDefault();
        }}
      />
      {open && (
        <ul id={listId} role="listbox" aria-label={`${label}: matches`} className="absolute z-50 mt-1 max-h-64 w-full overflow-y-auto rounded-control border border-border bg-surface shadow-lg">
          {matches.length === 0 ? (
            <li className="px-2.5 py-1.5 text-sm text-muted-foreground">No agent matches “{text}”.</li>
          ) : (
            matches.map((a, i) => (
              <li
                key={a.key}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={cn("cursor-pointer px-2.5 py-1.5 text-sm", i === active && "bg-surface-muted")}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => pick(a)}
              >
                {a.name} <span className="text-xs text-muted-foreground">{a.key}</span>
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}
