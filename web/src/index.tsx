import { render } from "solid-js/web";
import { App } from "./app.tsx";
import { locale } from "./lib/i18n.ts";

document.documentElement.lang = locale();
render(() => <App />, document.getElementById("app")!);
