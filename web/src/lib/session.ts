import { createResource, createRoot } from "solid-js";
import { api, ApiError, type Me } from "./api.ts";
import { setLocale } from "./i18n.ts";

/** Who is signed in: null when nobody is (the API answered 401). */
const session = createRoot(() => {
  const [me, { refetch, mutate }] = createResource<Me | null>(async () => {
    try {
      return followLanguage(await api.me());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  });
  return { me, refetch, mutate };
});

export const me = session.me;
export const refreshSession = session.refetch;

export async function signIn(email: string, password: string) {
  session.mutate(followLanguage(await api.signIn(email, password)));
}

/** The language a person chose follows them from one browser to another. */
function followLanguage(who: Me) {
  if (who.locale) setLocale(who.locale);
  return who;
}

/** Switches the language, and remembers it for the signed-in person (best effort). */
export function chooseLocale(next: "fr" | "en") {
  setLocale(next);
  if (session.me()?.locale) {
    session.mutate({ ...session.me()!, locale: next });
    void api.saveLocale(next).catch(() => {});
  }
}

export async function signOut() {
  await api.signOut();
  session.mutate(null);
}

export const canEdit = () => {
  const role = me()?.role;
  return role === "editor" || role === "admin";
};
