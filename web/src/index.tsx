import { render } from "solid-js/web";
import { App } from "./app.tsx";
import { locale } from "./lib/i18n.ts";
import { preloadDashboardNow } from "./pages/dashboard-preload.ts";

if (location.pathname === "/") preloadDashboardNow();

document.documentElement.lang = locale();
render(() => <App />, document.getElementById("app")!);
