// Pages with no script of their own (joining, errors) still speak the
// visitor's language: importing the translations fills in the page.
import './i18n.js';
