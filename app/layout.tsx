import type { Metadata, Viewport } from "next";
import "./globals.css";
import { themeScript } from "@/components/ui/theme-script";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "AgentLedger",
  description: "What your AI agents did, what it cost, what it was worth, and who pays.",
  // Files in public/ (the PNGs and favicon.ico are drawn by scripts/icons.ts from the logo's geometry).
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "16x16 32x32 48x48" },
      { url: "/logo.svg", type: "image/svg+xml" },
    ],
    apple: "/apple-touch-icon.png",
  },
};

export const viewport: Viewport = { themeColor: "#4f46e5" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    // The theme script sets class="dark" before hydration: React must not treat that as a mismatch.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="bg-background text-foreground antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
