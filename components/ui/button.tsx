import { Slot } from "@radix-ui/react-slot";
import { cva, type VariantProps } from "class-variance-authority";
import { cn } from "./cn";

export const buttonVariants = cva(
  "inline-flex items-center justify-center gap-1.5 rounded-control font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring disabled:pointer-events-none disabled:opacity-50",
  {
    variants: {
      variant: {
        primary: "bg-primary text-on-solid hover:bg-primary-hover",
        secondary: "border border-input bg-surface text-foreground hover:bg-surface-muted",
        ghost: "text-foreground hover:bg-surface-muted",
        danger: "bg-danger-solid text-on-solid hover:bg-danger-solid-hover",
        /** Looks like a link (row actions, "Sign out"); still a button to assistive technology. */
        link: "px-0 text-accent-foreground underline-offset-2 hover:underline",
        "danger-link": "px-0 text-danger underline-offset-2 hover:underline",
      },
      size: {
        sm: "h-8 px-2.5 text-sm",
        md: "h-9 px-3 text-sm",
        icon: "h-9 w-9 p-0",
      },
    },
    compoundVariants: [
      { variant: ["link", "danger-link"], size: ["sm", "md"], className: "h-auto px-0" },
    ],
    defaultVariants: { variant: "primary", size: "md" },
  },
);

export type ButtonProps = React.ComponentProps<"button"> & VariantProps<typeof buttonVariants> & { asChild?: boolean };

/** The one button. `asChild` renders the styles on its child instead (a Next `<Link>` that looks like a button). */
export function Button({ className, variant, size, asChild = false, type, ...props }: ButtonProps) {
  const Comp = asChild ? Slot : "button";
  // A plain <button> defaults to type="submit" inside a form; make submitting explicit.
  return <Comp className={cn(buttonVariants({ variant, size }), className)} type={asChild ? type : (type ?? "button")} {...props} />;
}
