declare module "codes-postaux" {
  interface Commune {
    codePostal: string;
    codeCommune: string;
    nomCommune: string;
    libelleAcheminement: string;
  }
  const codesPostaux: { find(postalCode: string | number): Commune[] };
  export default codesPostaux;
}
